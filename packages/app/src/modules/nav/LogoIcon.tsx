import { makeStyles } from '@material-ui/core';

const useStyles = makeStyles({
  text: {
    color: '#7df3e1',
    fontSize: 22,
    fontWeight: 700,
  },
});

export const LogoIcon = () => {
  const classes = useStyles();
  return <span className={classes.text}>FP</span>;
};
